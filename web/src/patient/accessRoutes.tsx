import type { RouteObject } from "react-router-dom";
import { ProConsentPage, ProEmergencyPage } from "../professional/ProAccessPages";
import { ProCreateRecordPage } from "../professional/ProCreateRecordPage";
import { ProDepositPage, ProDocumentPage } from "../professional/ProDocumentPages";
import { ProPatientPage } from "../professional/ProPatientPage";
import { CloseRecordPage } from "./CloseRecordPage";
import { DeleteRecordPage, RecordDeletedPage } from "./DeleteRecordPage";
import { SharingBlockPage } from "./SharingBlockPage";
import { SharingEmergencyPage } from "./SharingEmergencyPage";
import { SharingPage } from "./SharingPage";
import { CaregiversPage } from "./CaregiversPage";
import { CaregiverAcceptPage } from "../caregiver/CaregiverAcceptPage";
import { paths } from "../shared/paths";

/**
 * Who may see what (DOMAIN.md §4): the professional's screens on a patient's record
 * (access, consent, emergency, documents, deposit, creation with the patient present)
 * and the patient's «Gestion du DMP» (authorizations, blocks, emergency switches), with the life of
 * the record (DOMAIN.md §7): close it, delete it at once (a closed record's home is in MyRecordPage).
 */
export const accessRoutes: RouteObject[] = [
    { path: paths.proPatient, element: <ProPatientPage /> },
    { path: paths.proPatientConsent, element: <ProConsentPage /> },
    { path: paths.proPatientEmergency, element: <ProEmergencyPage /> },
    { path: paths.proPatientDeposit, element: <ProDepositPage /> },
    { path: paths.proPatientDocument, element: <ProDocumentPage /> },
    { path: paths.proCreateRecord, element: <ProCreateRecordPage /> },
    { path: paths.sharing, element: <SharingPage /> },
    { path: paths.sharingBlock, element: <SharingBlockPage /> },
    { path: paths.sharingEmergency, element: <SharingEmergencyPage /> },
    { path: paths.caregivers, element: <CaregiversPage /> },
    { path: paths.caregiverAccept, element: <CaregiverAcceptPage /> },
    { path: paths.closeRecord, element: <CloseRecordPage /> },
    { path: paths.deleteRecord, element: <DeleteRecordPage /> },
    { path: paths.recordDeleted, element: <RecordDeletedPage /> }
];
