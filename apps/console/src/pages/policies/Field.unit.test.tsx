import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Field } from './Field.js';
import { LiveBadge } from '../../live/LiveBadge.js';
import { liveStatus } from '../../live/status.js';

describe('Field', () => {
  it("ties the API's error to its control, so it is read with it", () => {
    render(
      <Field label="Actions" hint="read, write" error='Unknown action "reed"'>
        <input />
      </Field>,
    );
    const input = screen.getByLabelText('Actions');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('read, write Unknown action "reed"');
    expect(screen.getByRole('alert')).toHaveTextContent('Unknown action "reed"');
  });

  it('is a plain labelled control without an error', () => {
    render(
      <Field label="Name">
        <input />
      </Field>,
    );
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('LiveBadge', () => {
  it('says live, then reconnecting while a subscription waits to resume, then live again', () => {
    render(<LiveBadge />);
    act(() => liveStatus.connected());
    expect(screen.getByRole('status')).toHaveTextContent('Live');
    act(() => liveStatus.retrying());
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting…');
    act(() => liveStatus.connected());
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting…');
    act(() => liveStatus.resumed());
    expect(screen.getByRole('status')).toHaveTextContent('Live');
  });
});
