import { useId, useState } from 'react';
import type { FacetValue } from './local-facets.js';

interface Props {
  legend: string;
  values: readonly FacetValue[];
  isSelected: (value: string) => boolean;
  onToggle: (value: string) => void;
  /** Said under the legend, e.g. that counts cover only the results shown. */
  hint?: string;
}

const SHOWN = 8;

/** One facet: checkboxes with counts; the selected ones always stay visible. */
export function FacetGroup({ legend, values, isSelected, onToggle, hint }: Props) {
  const [all, setAll] = useState(false);
  const hintId = useId();
  if (!values.length) return null;
  const shown = all ? values : values.filter((v, i) => i < SHOWN || isSelected(v.value));
  return (
    <fieldset aria-describedby={hint ? hintId : undefined}>
      <legend>{legend}</legend>
      {hint ? (
        <p id={hintId} className="muted facet-hint">
          {hint}
        </p>
      ) : null}
      {shown.map((v) => (
        <label key={v.value}>
          <input type="checkbox" checked={isSelected(v.value)} onChange={() => onToggle(v.value)} />
          <span>{v.label}</span>
          <span className="muted">({v.count})</span>
        </label>
      ))}
      {values.length > shown.length || all ? (
        <button type="button" className="link-button" onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${values.length}`}
        </button>
      ) : null}
    </fieldset>
  );
}
