import { useEffect, useRef } from "react";
import { Outlet, useLocation } from "react-router-dom";
import { Header } from "@codegouvfr/react-dsfr/Header";
import { Footer } from "@codegouvfr/react-dsfr/Footer";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";
import { Display, headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";
import { paths } from "../paths";

export const MAIN_ID = "contenu";
const FOOTER_ID = "pied-de-page";

const brandTop = (
    <>
        République
        <br />
        Française
    </>
);

const homeLinkProps = {
    to: paths.home,
    title: "Accueil - Mon DMP"
};

/** Shared page frame: skip links, DSFR header, main content, DSFR footer. */
export function Layout() {
    useFocusOnNavigation();

    return (
        <>
            <SkipLinks
                links={[
                    { label: "Contenu", anchor: `#${MAIN_ID}` },
                    { label: "Pied de page", anchor: `#${FOOTER_ID}` }
                ]}
            />
            <Header
                brandTop={brandTop}
                serviceTitle="Mon DMP"
                serviceTagline="Dossier Médical Partagé : mon carnet de santé sur internet"
                homeLinkProps={homeLinkProps}
                quickAccessItems={[
                    {
                        iconId: "fr-icon-account-circle-line",
                        text: "Accéder à mon DMP",
                        linkProps: { to: paths.login }
                    },
                    {
                        iconId: "fr-icon-stethoscope-line",
                        text: "Espace professionnel",
                        linkProps: { to: paths.pro }
                    }
                ]}
            />
            <main id={MAIN_ID} tabIndex={-1} className="fr-container fr-pt-4w fr-pb-8w">
                <Outlet />
            </main>
            <Footer
                id={FOOTER_ID}
                brandTop={brandTop}
                homeLinkProps={homeLinkProps}
                accessibility="non compliant"
                accessibilityLinkProps={{ to: paths.accessibility }}
                contentDescription="Le Dossier Médical Partagé (DMP) est un carnet de santé sur internet. Il est gratuit et sécurisé. Ce site est construit avec OpenDMP, un logiciel libre."
                bottomItems={[{ text: "Guichet Assurance Maladie", linkProps: { to: paths.agent } }, headerFooterDisplayItem]}
            />
            <Display />
        </>
    );
}

/**
 * On client-side navigation, the browser does not reload the page: screen reader
 * users would not know that the page changed. Move the focus to the new page's
 * main heading (or to <main>) and scroll back to the top. Not on first load, so
 * the skip links stay the first thing reached with the Tab key.
 */
function useFocusOnNavigation() {
    const { pathname } = useLocation();
    const previousPathname = useRef(pathname);

    useEffect(() => {
        if (previousPathname.current === pathname) {
            return;
        }
        previousPathname.current = pathname;
        window.scrollTo(0, 0);
        const main = document.getElementById(MAIN_ID);
        const heading = main?.querySelector<HTMLElement>("h1");
        const target = heading ?? main;
        if (target) {
            if (!target.hasAttribute("tabindex")) {
                target.setAttribute("tabindex", "-1");
            }
            target.focus({ preventScroll: true });
        }
    }, [pathname]);
}
