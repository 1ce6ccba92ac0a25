/**
 * The passwords French people use most, and the words this service invites
 * (its own name, health vocabulary). Browser-safe: also imported by the web app.
 *
 * Written folded (lowercase, no accents, no spaces): the policy folds what people
 * type the same way, and also strips digits and symbols added around a word
 * ("Soleil2024!" → "soleil"), so each entry stands for its decorated variants.
 * Drawn from the published yearly rankings of the passwords most found in French
 * leaks, plus the service's own vocabulary, which NIST SP 800-63B also asks to refuse.
 */
export const COMMON_FRENCH_PASSWORDS: readonly string[] = [
  // Digits and keyboard rows
  '123456', '1234567', '12345678', '123456789', '1234567890', '12345678910', '123456789a', '1234561',
  '000000', '00000000', '111111', '11111111', '121212', '123123', '123321', '112233', '101010',
  '147258', '147258369', '159753', '753951', '789456', '789456123', '987654321', '654321', '666666',
  '696969', '999999', '1q2w3e4r', 'a1b2c3d4', 'abc123', 'azerty', 'azertyuiop', 'azerty123',
  'qwerty', 'qwertyuiop', 'qwertz', 'azertyu', 'aqwzsx', 'wxcvbn', 'azqswx', 'aaaaaa', 'abcdef',
  'abcdefgh', 'abcd1234',
  // The word itself
  'motdepasse', 'motdepass', 'mdp', 'password', 'passw0rd', 'passe', 'secret', 'admin',
  'administrateur', 'utilisateur', 'bienvenue', 'connexion', 'changeme', 'azerty1234',
  // Affection
  'jetaime', 'jetadore', 'teamo', 'iloveyou', 'amour', 'monamour', 'mamour', 'moncoeur', 'chouchou',
  'doudou', 'loulou', 'bisous', 'bisounours', 'nounours', 'cheri', 'cherie', 'maman', 'papa',
  'mamanjetaime', 'princesse', 'bebe', 'famille',
  // Everyday words
  'soleil', 'bonjour', 'coucou', 'salut', 'chocolat', 'caramel', 'papillon', 'tigrou',
  'chaton', 'cheval', 'chien', 'poussin', 'fraise', 'framboise', 'vanille', 'cacahuete', 'pomme',
  'banane', 'bonheur', 'liberte', 'vacances', 'printemps', 'etoile', 'licorne', 'dragon', 'pokemon',
  'naruto', 'batman', 'superman', 'starwars', 'football', 'toto', 'titi', 'tintin',
  // Places and clubs
  'france', 'paris', 'marseille', 'lyon', 'toulouse', 'bordeaux', 'nantes', 'lille', 'bretagne',
  'allezlom', 'olympique', 'psg', 'liverpool',
  // First names that head the leaked lists
  'nicolas', 'camille', 'julien', 'thomas', 'nathalie', 'isabelle', 'sandrine', 'stephanie',
  'alexandre', 'anthony', 'maxime', 'vincent', 'sebastien', 'christophe', 'aurelie', 'celine',
  'emilie', 'sophie', 'lucas', 'louise', 'marie', 'pierre', 'olivier', 'laurent', 'kevin',
  // This service and health
  'dmp', 'dossiermedical', 'dossiermedicalpartage', 'monespacesante', 'espacesante', 'sante',
  'ameli', 'vitale', 'cartevitale', 'securitesociale', 'assurancemaladie', 'medecin', 'docteur',
  'hopital', 'pharmacie',
];
