/**
 * Every path of the web app. The route table is in routes.tsx; pages import
 * these constants (from here, to avoid an import cycle with routes.tsx)
 * instead of writing URLs by hand.
 */
export const paths = {
    home: "/",
    create: "/creer",
    createWithCode: "/creer/code",
    createResult: "/creer/resultat",
    requestCode: "/creer/demande-code",
    requestCodeSent: "/creer/demande-code/envoyee",
    terms: "/conditions-utilisation",
    login: "/connexion",
    loginCode: "/connexion/code",
    firstLogin: "/premiere-connexion",
    myRecord: "/mon-dmp",
    myInformation: "/mon-dmp/informations",
    changeMobile: "/mon-dmp/informations/portable",
    changeEmail: "/mon-dmp/informations/mail",
    contactChangeCode: "/mon-dmp/informations/code",
    relatives: "/mon-dmp/proches",
    relativeCreate: "/mon-dmp/proches/creer",
    forgotPassword: "/mot-de-passe-oublie",
    forgotPasswordCode: "/mot-de-passe-oublie/code",
    forgotPasswordDone: "/mot-de-passe-oublie/termine",
    pro: "/pro",
    accessibility: "/accessibilite"
} as const;

export type AppPath = (typeof paths)[keyof typeof paths];
