import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConceptTree } from './ConceptTree.js';

const concept = (iri: string, label: string, parents: string[] = []) => ({
  iri,
  label,
  superClasses: parents.map((p) => ({ iri: p })),
  broader: [],
});
const concepts = [
  concept('ex:Party', 'Party'),
  concept('ex:Customer', 'Customer', ['ex:Party']),
  concept('ex:Supplier', 'Supplier', ['ex:Party']),
  concept('ex:Invoice', 'Invoice'),
];

describe('ConceptTree', () => {
  it('is one tab stop; arrows open branches and move focus; Enter opens the concept', async () => {
    const onOpen = vi.fn();
    const user = userEvent.setup();
    render(<ConceptTree concepts={concepts} label="Concepts" onOpen={onOpen} />);
    const tree = screen.getByRole('tree', { name: 'Concepts' });
    expect(tree).toBeInTheDocument();
    const items = screen.getAllByRole('treeitem');
    expect(items.map((i) => i.textContent)).toEqual(['·Invoice', '▸Party']);
    expect(items.map((i) => i.tabIndex)).toEqual([0, -1]);

    await user.tab();
    expect(document.activeElement).toBe(items[0]);
    await user.keyboard('{ArrowDown}');
    const party = screen.getByRole('treeitem', { name: /Party/ });
    expect(document.activeElement).toBe(party);
    expect(party).toHaveAttribute('aria-expanded', 'false');

    await user.keyboard('{ArrowRight}');
    expect(party).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getAllByRole('treeitem')).toHaveLength(4);
    await user.keyboard('{ArrowRight}');
    const customer = screen.getByRole('treeitem', { name: /Customer/ });
    expect(document.activeElement).toBe(customer);
    expect(customer).toHaveAttribute('aria-level', '2');
    expect(customer).toHaveAttribute('aria-posinset', '1');
    expect(customer).toHaveAttribute('aria-setsize', '2');

    await user.keyboard('s');
    expect(document.activeElement).toBe(screen.getByRole('treeitem', { name: /Supplier/ }));
    await user.keyboard('{Enter}');
    expect(onOpen).toHaveBeenCalledWith('ex:Supplier');

    // Left goes to the parent, then closes it.
    await user.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(document.activeElement).toBe(party);
    expect(party).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getAllByRole('treeitem')).toHaveLength(2);
  });

  it('reveals a concept: its branch opens and it holds the tab stop', () => {
    render(<ConceptTree concepts={concepts} label="Concepts" onOpen={() => {}} reveal="ex:Customer" />);
    const customer = screen.getByRole('treeitem', { name: /Customer/ });
    expect(customer).toHaveAttribute('aria-selected', 'true');
    expect(customer.tabIndex).toBe(0);
    expect(screen.getByRole('treeitem', { name: /Party/ })).toHaveAttribute('aria-expanded', 'true');
  });
});
