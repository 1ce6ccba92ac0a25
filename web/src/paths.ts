/**
 * Every path of the web app. The route table is in routes.tsx; pages import
 * these constants (from here, to avoid an import cycle with routes.tsx)
 * instead of writing URLs by hand.
 */
export const paths = {
    home: "/",
    create: "/creer",
    createWithCode: "/creer/code",
    requestCode: "/creer/demande-code",
    login: "/connexion",
    pro: "/pro",
    accessibility: "/accessibilite"
} as const;

export type AppPath = (typeof paths)[keyof typeof paths];
