import type { RouteObject } from "react-router-dom";
import { Layout } from "./shared/components/Layout";
import { HomePage } from "./public/HomePage";
import { CreatePage } from "./public/CreatePage";
import { CreateWithCodePage } from "./public/CreateWithCodePage";
import { CreationResultPage } from "./public/CreationResultPage";
import { RequestCodePage } from "./public/RequestCodePage";
import { RequestCodeSentPage } from "./public/RequestCodeSentPage";
import { TermsPage } from "./public/TermsPage";
import { LoginPage } from "./public/LoginPage";
import { LoginCodePage } from "./public/LoginCodePage";
import { FirstLoginPage } from "./patient/FirstLoginPage";
import { MyRecordPage } from "./patient/MyRecordPage";
import { MyInformationPage } from "./patient/MyInformationPage";
import { ChangeContactPage } from "./patient/ChangeContactPage";
import { ContactChangeCodePage } from "./patient/ContactChangeCodePage";
import { RelativesPage } from "./patient/RelativesPage";
import { RelativeCreatePage } from "./patient/RelativeCreatePage";
import { DocumentsPage } from "./patient/DocumentsPage";
import { DocumentPage } from "./patient/DocumentPage";
import { DocumentAddPage, DocumentAddFilePage, DocumentAddNotePage } from "./patient/DocumentAddPage";
import { ForgotPasswordPage } from "./public/ForgotPasswordPage";
import { ForgotPasswordCodePage, ForgotPasswordDonePage } from "./public/ForgotPasswordCodePage";
import { ProPage } from "./professional/ProPage";
import { ProSpacePage } from "./professional/ProSpacePage";
import { AgentCodePage, AgentPasswordPage, AgentSignInPage } from "./agent/AgentSignInPages";
import { AgentDeskPage } from "./agent/AgentDeskPage";
import { AccessibilityPage } from "./public/AccessibilityPage";
import { NotFoundPage } from "./public/NotFoundPage";
import { healthProfileRoutes } from "./patient/healthProfileRoutes";
import { historyRoutes } from "./patient/historyRoutes";
import { accessRoutes } from "./patient/accessRoutes";
import { paths } from "./shared/paths";

export { paths };
export type { AppPath } from "./shared/paths";

/**
 * The route table. All pages share the DSFR layout (header, skip links, footer).
 * The server answers index.html for any unknown non-API GET path, so the last
 * route ("*") renders the French 404 page on the client.
 */
export const appRoutes: RouteObject[] = [
    {
        element: <Layout />,
        children: [
            { path: paths.home, element: <HomePage /> },
            { path: paths.create, element: <CreatePage /> },
            { path: paths.createWithCode, element: <CreateWithCodePage /> },
            { path: paths.createResult, element: <CreationResultPage /> },
            { path: paths.requestCode, element: <RequestCodePage /> },
            { path: paths.requestCodeSent, element: <RequestCodeSentPage /> },
            { path: paths.terms, element: <TermsPage /> },
            { path: paths.login, element: <LoginPage /> },
            { path: paths.loginCode, element: <LoginCodePage /> },
            { path: paths.forgotPassword, element: <ForgotPasswordPage /> },
            { path: paths.forgotPasswordCode, element: <ForgotPasswordCodePage /> },
            { path: paths.forgotPasswordDone, element: <ForgotPasswordDonePage /> },
            { path: paths.firstLogin, element: <FirstLoginPage /> },
            { path: paths.myRecord, element: <MyRecordPage /> },
            { path: paths.myInformation, element: <MyInformationPage /> },
            { path: paths.changeMobile, element: <ChangeContactPage kind="mobile" /> },
            { path: paths.changeEmail, element: <ChangeContactPage kind="email" /> },
            { path: paths.contactChangeCode, element: <ContactChangeCodePage /> },
            { path: paths.relatives, element: <RelativesPage /> },
            { path: paths.relativeCreate, element: <RelativeCreatePage /> },
            { path: paths.documents, element: <DocumentsPage /> },
            { path: paths.documentAdd, element: <DocumentAddPage /> },
            { path: paths.documentAddFile, element: <DocumentAddFilePage /> },
            { path: paths.documentAddNote, element: <DocumentAddNotePage /> },
            { path: paths.document, element: <DocumentPage /> },
            { path: paths.pro, element: <ProPage /> },
            { path: paths.proSpace, element: <ProSpacePage /> },
            { path: paths.agent, element: <AgentSignInPage /> },
            { path: paths.agentCode, element: <AgentCodePage /> },
            { path: paths.agentPassword, element: <AgentPasswordPage /> },
            { path: paths.agentDesk, element: <AgentDeskPage /> },
            { path: paths.accessibility, element: <AccessibilityPage /> },
            ...healthProfileRoutes,
            ...historyRoutes,
            ...accessRoutes,
            { path: "*", element: <NotFoundPage /> }
        ]
    }
];
