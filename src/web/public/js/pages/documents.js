// Dokumenter: a project's documents (API.md v1.1, "Documents") on its page — the list, with a
// download for everyone who may read them, and the upload form for the owner and the council's
// secretariat. The service decides both: a refusal to read hides the section.
import { api, ApiError, download, sendForm } from '../api.js'
import { h } from '../dom.js'
import { formatBytes, formatDateTime } from '../format.js'
import { DOCUMENT_KIND } from '../labels.js'
import { hasRole } from '../session.js'
import { errorBox, field, scrollableTable, showMessage } from '../ui.js'

/**
 * @typedef {{ id: string, kind: string, filename: string, mediaType: string, sizeBytes: number,
 *   sha256: string, uploadedAt: string, uploadedBy: string, supersedes: string | null }} Document
 */

const ACCEPT = '.pdf,.docx,.xlsx,.odt,.ods,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,' +
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.oasis.opendocument.text,application/vnd.oasis.opendocument.spreadsheet'

/**
 * The section, or null for a caller who may not read the project's documents.
 * @param {import('../main.js').PageContext} ctx
 * @param {any} project
 * @returns {Promise<HTMLElement | null>}
 */
export async function documentsSection (ctx, project) {
  /** @type {Document[]} */
  let documents
  try {
    documents = (await api(`/v1/projects/${project.id}/documents`)).items
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return null
    throw error
  }
  const session = ctx.session
  const open = project.status !== 'withdrawn' && project.status !== 'closed'
  const mayUpload = open && (hasRole(session, 'secretariat') || (hasRole(session, 'submitter') && session?.org === project.ownerOrg))
  const message = h('div', { class: 'message-slot' })
  return h('section', { 'aria-labelledby': 'documents-heading' },
    h('h2', { id: 'documents-heading', text: 'Dokumenter' }),
    message,
    documents.length === 0
      ? h('p', { text: 'Der er ikke lagt dokumenter på projektet.' })
      : documentTable(project, documents, message),
    mayUpload ? uploadForm(ctx, project, documents) : null)
}

/**
 * @param {any} project
 * @param {Document[]} documents
 * @param {HTMLElement} message where a failed download is explained
 */
function documentTable (project, documents, message) {
  const byId = new Map(documents.map((d) => [d.id, d]))
  const rows = documents.map((d) => {
    const button = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'button-secondary', text: 'Hent', 'aria-label': `Hent ${d.filename}` }))
    button.addEventListener('click', async () => {
      button.disabled = true
      try {
        await download(`/v1/projects/${project.id}/documents/${d.id}`, { accept: d.mediaType, filename: d.filename })
      } catch (error) {
        showMessage(message, errorBox(error))
      } finally {
        button.disabled = false
      }
    })
    const earlier = d.supersedes ? byId.get(d.supersedes) : undefined
    return h('tr', {},
      h('td', { text: DOCUMENT_KIND[d.kind] ?? d.kind }),
      h('td', { class: 'filename', text: d.filename }),
      h('td', { text: formatBytes(d.sizeBytes) }),
      h('td', { text: formatDateTime(d.uploadedAt) }),
      h('td', {}, h('code', { title: d.sha256, text: `${d.sha256.slice(0, 12)}…` })),
      h('td', { text: d.supersedes ? `Erstatter ${earlier?.filename ?? 'et tidligere dokument'}` : '' }),
      h('td', {}, button))
  })
  return scrollableTable('Projektets dokumenter', h('table', { class: 'data documents' },
    h('caption', { text: 'Projektets dokumenter, ældste først' }),
    h('thead', {}, h('tr', {}, ['Type', 'Filnavn', 'Størrelse', 'Lagt op', 'Kontrolsum (SHA-256)', 'Erstatter', 'Fil'].map((c) => h('th', { scope: 'col', text: c })))),
    h('tbody', {}, rows)))
}

/**
 * Kind, an optional earlier document it replaces, and the file: sent as multipart/form-data with
 * the fields before the file, as the service reads them.
 * @param {import('../main.js').PageContext} ctx
 * @param {any} project
 * @param {Document[]} documents
 */
function uploadForm (ctx, project, documents) {
  const message = h('div', { class: 'message-slot' })
  const kind = /** @type {HTMLSelectElement} */ (h('select', { id: 'document-kind', name: 'kind' },
    Object.entries(DOCUMENT_KIND).map(([value, label]) => h('option', { value, text: label }))))
  const superseded = new Set(documents.map((d) => d.supersedes))
  const current = documents.filter((d) => !superseded.has(d.id))
  const supersedes = /** @type {HTMLSelectElement} */ (h('select', { id: 'document-supersedes', name: 'supersedes' },
    h('option', { value: '', text: 'Intet (et nyt dokument)' }),
    current.map((d) => h('option', { value: d.id, text: `${DOCUMENT_KIND[d.kind] ?? d.kind}: ${d.filename}` }))))
  // A new version is of the same kind as the one it replaces.
  supersedes.addEventListener('change', () => {
    const earlier = current.find((d) => d.id === supersedes.value)
    if (earlier) kind.value = earlier.kind
  })
  const file = /** @type {HTMLInputElement} */ (h('input', { id: 'document-file', name: 'file', type: 'file', accept: ACCEPT }))
  const submit = /** @type {HTMLButtonElement} */ (h('button', { type: 'submit', text: 'Læg dokumentet op' }))
  const form = h('form', { novalidate: true, 'aria-labelledby': 'document-upload-heading' },
    h('h3', { id: 'document-upload-heading', text: 'Læg et dokument op' }),
    message,
    field('Type', kind, { required: true }),
    field('Erstatter dokument', supersedes, { help: 'Vælg det dokument, som det nye er en ny udgave af.' }),
    field('Fil', file, { required: true, help: 'PDF, Word (DOCX), Excel (XLSX), ODT eller ODS, højst 25 MB.' }),
    h('p', { class: 'button-row' }, submit))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const chosen = file.files?.[0]
    if (!chosen) {
      file.setAttribute('aria-invalid', 'true')
      showMessage(message, errorBox(new Error('Vælg en fil.')))
      return
    }
    file.removeAttribute('aria-invalid')
    const data = new FormData()
    data.append('kind', kind.value)
    if (supersedes.value) data.append('supersedes', supersedes.value)
    data.append('file', chosen, chosen.name)
    submit.disabled = true
    try {
      const added = await sendForm(`/v1/projects/${project.id}/documents`, data)
      ctx.navigate(`#/projects/${project.id}`, `${added.filename} er lagt op.`)
    } catch (error) {
      submit.disabled = false
      showMessage(message, errorBox(error))
    }
  })
  return form
}
