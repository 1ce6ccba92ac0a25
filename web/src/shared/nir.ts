/**
 * NIR checks in the browser: the same pure rules as the server (src/identity/nir.ts),
 * so that a typing mistake is shown at once, next to the field. The server checks again.
 */
import { normalizeNirInput, parseNir } from "../../../src/identity/nir";

export { normalizeNirInput };

/** An error message for a typed NIR, or undefined when it is well formed. */
export function checkNir(input: string): string | undefined {
    if (input.trim() === "") {
        return "Écrivez votre numéro de sécurité sociale.";
    }
    const result = parseNir(input);
    return result.ok ? undefined : result.error.message;
}

export const NIR_HINT = "Il est écrit sur ma carte Vitale. Il a 15 chiffres. Je peux mettre des espaces.";
