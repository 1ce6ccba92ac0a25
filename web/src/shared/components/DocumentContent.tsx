import { useEffect, useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { apiFetch } from "../api";
import type { DocumentSummary } from "../documents";
import { problemMessage } from "./forms";

type Content = { kind: "loading" } | { kind: "text"; text: string } | { kind: "html"; html: string } | { kind: "error"; message: string };

/** The sentences that change with who reads: the patient («je») or a professional («vous»). */
const WORDS = {
    patient: {
        frameFallback: "Je ne vois pas le document ? Je le télécharge avec le bouton « Télécharger ».",
        notShown: "Ce document ne peut pas être affiché ici. Je peux le télécharger."
    },
    professional: {
        frameFallback: "Vous ne voyez pas le document ? Téléchargez-le avec le bouton « Télécharger ».",
        notShown: "Ce document ne peut pas être affiché ici. Vous pouvez le télécharger."
    }
} as const;

/**
 * The document itself: PDF in a frame, images as images, text as text, CDA as the server's
 * HTML. `url` is the document's API address (…/documents/:id), patient's or professional's.
 */
export function DocumentContent(props: { document: DocumentSummary; url: string; reader: keyof typeof WORDS }) {
    const { document, url } = props;
    const words = WORDS[props.reader];
    const [content, setContent] = useState<Content>({ kind: "loading" });
    const needsFetch = document.format === "text" || document.format === "cda";

    useEffect(() => {
        if (!needsFetch) {
            return;
        }
        let live = true;
        const load =
            document.format === "cda"
                ? apiFetch<{ html: string }>(`${url}/view`).then((result) =>
                      result.ok
                          ? ({ kind: "html", html: demoteHeadings(result.data.html, 3) } as const)
                          : ({ kind: "error", message: problemMessage(result.problem) } as const)
                  )
                : apiFetch<string>(`${url}/content`, { headers: { accept: "text/plain" } }).then((result) =>
                      result.ok
                          ? ({ kind: "text", text: String(result.data) } as const)
                          : ({ kind: "error", message: problemMessage(result.problem) } as const)
                  );
        void load.then((next) => {
            if (live) setContent(next);
        });
        return () => {
            live = false;
        };
    }, [document.format, url, needsFetch]);

    const contentUrl = `${url}/content`;
    switch (document.format) {
        case "pdf":
            return (
                <>
                    <iframe className="dmp-document-frame" src={contentUrl} title={`Le document PDF : ${document.title}`} />
                    <p className={fr.cx("fr-text--sm", "fr-mt-1w")}>
                        {words.frameFallback}
                    </p>
                </>
            );
        case "jpeg":
        case "png":
            return <img className="dmp-document-image" src={contentUrl} alt={`Image du document : ${document.title}`} />;
        case "text":
        case "cda":
            if (content.kind === "loading") {
                return <p role="status">Chargement du document…</p>;
            }
            if (content.kind === "error") {
                return (
                    <Alert
                        severity="error"
                        small
                        description={`Nous n'avons pas pu afficher le document. ${content.message}`}
                        role="alert"
                    />
                );
            }
            if (content.kind === "text") {
                return <pre className="dmp-document-text">{content.text}</pre>;
            }
            // Sanitised by the server (no script, no link, no image): shown as a document to read.
            return <div className="dmp-document-reader" dangerouslySetInnerHTML={{ __html: content.html }} />;
        default:
            return <p>{words.notShown}</p>;
    }
}

/**
 * The server's CDA view starts with its own <h1>: on this page the h1 is the document's
 * title and the content is under an h2, so its headings go down (h1 → h3, h2 → h4…).
 * Done in an inert <template>, which runs nothing.
 */
export function demoteHeadings(html: string, firstLevel: number): string {
    const template = window.document.createElement("template");
    template.innerHTML = html;
    const shift = firstLevel - 1;
    for (const heading of Array.from(template.content.querySelectorAll("h1, h2, h3, h4, h5, h6"))) {
        const level = Math.min(6, Number(heading.tagName.slice(1)) + shift);
        const replacement = window.document.createElement(`h${level}`);
        for (const attribute of Array.from(heading.attributes)) {
            replacement.setAttribute(attribute.name, attribute.value);
        }
        replacement.append(...Array.from(heading.childNodes));
        heading.replaceWith(replacement);
    }
    return template.innerHTML;
}
