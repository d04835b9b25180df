// Small DOM helpers. Everything from the API goes in as text nodes or attribute values, never as
// HTML, so a project title cannot inject markup or script.

/**
 * @typedef {Node | string | number | null | undefined | false | ChildList} Child
 * @typedef {{ readonly [index: number]: Child, readonly length: number }} ChildList an array of children, nested freely
 * @typedef {Record<string, string | number | boolean | null | undefined | EventListener>} Props
 */

/**
 * Creates an element. Props: `class`, `text`, `on<event>` listeners, boolean attributes
 * (true → present, false/null/undefined → absent) and string attributes.
 * @param {string} tag
 * @param {Props} [props]
 * @param {...Child} children
 * @returns {HTMLElement}
 */
export function h (tag, props = {}, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue
    if (key === 'text') {
      el.textContent = String(value)
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value)
    } else if (value === true) {
      el.setAttribute(key, '')
    } else {
      el.setAttribute(key, String(value))
    }
  }
  append(el, children)
  return el
}

/**
 * @param {Node} parent
 * @param {ChildList} children
 */
export function append (parent, children) {
  for (let i = 0; i < children.length; i++) {
    const child = children[i]
    if (child === null || child === undefined || child === false) continue
    if (child instanceof Node) parent.appendChild(child)
    else if (typeof child === 'object') append(parent, child)
    else parent.appendChild(document.createTextNode(String(child)))
  }
}

let counter = 0
/**
 * A document-unique id for label/aria wiring.
 * @param {string} prefix
 */
export function uid (prefix) {
  counter += 1
  return `${prefix}-${counter}`
}

/**
 * Replaces the contents of `el`.
 * @param {Element} el
 * @param {...Child} children
 */
export function replace (el, ...children) {
  el.replaceChildren()
  append(el, children)
}
