/**
 * GraphiQL 5 renders each editor tab as `<li role="tab"><button>…</button></li>`: a tab holding a
 * focusable button, which screen readers announce badly and axe-core reports as a serious
 * `nested-interactive` violation. This moves the tab role onto the button (the `li` becomes
 * presentational) and keeps `aria-selected` in step as GraphiQL switches tabs. It reaches into
 * GraphiQL's markup, so it only touches elements that look exactly like that, and does nothing
 * (leaving GraphiQL as it is) once a GraphiQL release fixes or changes it.
 */
export function moveTabRoles(root: HTMLElement): () => void {
  const set = (el: Element, name: string, value: string | null) => {
    if (el.getAttribute(name) === value) return;
    if (value === null) el.removeAttribute(name);
    else el.setAttribute(name, value);
  };
  const apply = () => {
    for (const item of root.querySelectorAll('li.graphiql-tab')) {
      const button = item.querySelector(':scope > button.graphiql-tab-button');
      if (!button) continue;
      const role = item.getAttribute('role');
      if (role !== 'tab' && role !== 'presentation') continue;
      // GraphiQL writes aria-selected on the li whenever the active tab changes: carry it over.
      const selected = item.getAttribute('aria-selected') ?? button.getAttribute('aria-selected') ?? 'false';
      set(item, 'role', 'presentation');
      set(item, 'aria-selected', null);
      set(button, 'role', 'tab');
      set(button, 'aria-selected', selected);
    }
  };
  apply();
  const observer = new MutationObserver(apply);
  observer.observe(root, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['aria-selected', 'role'],
  });
  return () => observer.disconnect();
}
