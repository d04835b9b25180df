/**
 * Words of the English catalogue that Danish never uses: one of them in a Danish answer means a
 * text was left untranslated (src/messages.ts).
 */
export const ENGLISH_WORDS = /\b(the|is|are|must|not|cannot|already|only|found|required|invalid|expected|has|with|and|may|this|you|your|be|been|no|an|of|or|belongs|forbidden|does|should|its|it|from|which|when)\b/i
