import { describe, expect, it } from 'vitest';
import { moveTabRoles } from './tabRoles.js';

const tab = (name: string, selected: boolean) =>
  `<li role="tab" class="graphiql-tab" aria-selected="${selected}"><button class="graphiql-tab-button">${name}</button></li>`;

describe('moveTabRoles', () => {
  it('puts the tab role on the button and follows GraphiQL when it switches tabs', async () => {
    const root = document.createElement('div');
    root.innerHTML = `<ul role="tablist">${tab('A', true)}${tab('B', false)}</ul>`;
    const stop = moveTabRoles(root);
    const [a, b] = [...root.querySelectorAll('li')];
    expect(a!.getAttribute('role')).toBe('presentation');
    expect(a!.hasAttribute('aria-selected')).toBe(false);
    expect(a!.querySelector('button')!.getAttribute('role')).toBe('tab');
    expect(a!.querySelector('button')!.getAttribute('aria-selected')).toBe('true');
    expect(b!.querySelector('button')!.getAttribute('aria-selected')).toBe('false');

    // GraphiQL (React) marks the other tab selected, on the li as before.
    a!.setAttribute('aria-selected', 'false');
    b!.setAttribute('aria-selected', 'true');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(a!.querySelector('button')!.getAttribute('aria-selected')).toBe('false');
    expect(b!.querySelector('button')!.getAttribute('aria-selected')).toBe('true');

    // A tab added later is fixed too.
    root.querySelector('ul')!.insertAdjacentHTML('beforeend', tab('C', false));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(root.querySelectorAll('button[role="tab"]')).toHaveLength(3);
    stop();
  });

  it('leaves markup it does not recognise alone', () => {
    const root = document.createElement('div');
    root.innerHTML = '<ul role="tablist"><li role="tab" class="graphiql-tab"><span>A</span></li></ul>';
    moveTabRoles(root)();
    expect(root.querySelector('li')!.getAttribute('role')).toBe('tab');
  });
});
