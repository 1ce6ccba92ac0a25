import type { RouteObject } from "react-router-dom";
import { Layout } from "./components/Layout";
import { HomePage } from "./pages/HomePage";
import { CreatePage } from "./pages/CreatePage";
import { CreateWithCodePage } from "./pages/CreateWithCodePage";
import { CreationResultPage } from "./pages/CreationResultPage";
import { RequestCodePage } from "./pages/RequestCodePage";
import { RequestCodeSentPage } from "./pages/RequestCodeSentPage";
import { TermsPage } from "./pages/TermsPage";
import { LoginPage } from "./pages/LoginPage";
import { LoginCodePage } from "./pages/LoginCodePage";
import { FirstLoginPage } from "./pages/FirstLoginPage";
import { MyRecordPage } from "./pages/MyRecordPage";
import { MyInformationPage } from "./pages/MyInformationPage";
import { ChangeContactPage } from "./pages/ChangeContactPage";
import { ContactChangeCodePage } from "./pages/ContactChangeCodePage";
import { RelativesPage } from "./pages/RelativesPage";
import { RelativeCreatePage } from "./pages/RelativeCreatePage";
import { DocumentsPage } from "./pages/DocumentsPage";
import { DocumentPage } from "./pages/DocumentPage";
import { DocumentAddPage, DocumentAddFilePage, DocumentAddNotePage } from "./pages/DocumentAddPage";
import { ForgotPasswordPage } from "./pages/ForgotPasswordPage";
import { ForgotPasswordCodePage, ForgotPasswordDonePage } from "./pages/ForgotPasswordCodePage";
import { ProPage } from "./pages/ProPage";
import { ProSpacePage } from "./pages/ProSpacePage";
import { AgentCodePage, AgentPasswordPage, AgentSignInPage } from "./pages/AgentSignInPages";
import { AgentDeskPage } from "./pages/AgentDeskPage";
import { AccessibilityPage } from "./pages/AccessibilityPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { healthProfileRoutes } from "./healthProfileRoutes";
import { historyRoutes } from "./historyRoutes";
import { accessRoutes } from "./accessRoutes";
import { paths } from "./paths";

export { paths };
export type { AppPath } from "./paths";

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
