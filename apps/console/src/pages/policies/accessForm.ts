import type { ConsoleAccessPolicyFragment, PolicyInput } from '@dataos/client';
import { splitList } from './fieldErrors.js';

/** An access policy as the form edits it: lists as text, one subject set per line. */
export interface AccessFormValues {
  name: string;
  description: string;
  collection: string;
  effect: 'ALLOW' | 'DENY';
  /** One AND-set per line, tags separated by commas: `roles:id:admin` / `users:id:alice, roles:id:pii-reader`. */
  subjects: string;
  actions: string;
  paths: string;
  tags: string;
}

/** The form's keys, as the API's field paths name them (`input.objects.paths[0]` → `objects.paths`). */
export const ACCESS_FIELDS = [
  'name',
  'description',
  'collection',
  'effect',
  'subjects',
  'actions',
  'objects.paths',
  'objects.tags',
  'objects',
];

export const EMPTY_ACCESS: AccessFormValues = {
  name: '',
  description: '',
  collection: '',
  effect: 'ALLOW',
  subjects: '',
  actions: 'read',
  paths: '',
  tags: '',
};

export function accessValuesOf(policy: ConsoleAccessPolicyFragment): AccessFormValues {
  return {
    name: policy.name,
    description: policy.description ?? '',
    collection: policy.collection ?? '',
    effect: policy.effect,
    subjects: policy.subjects.map((set) => set.join(', ')).join('\n'),
    actions: policy.actions.join(', '),
    paths: policy.objects.paths.join('\n'),
    tags: policy.objects.tags.join('\n'),
  };
}

/** What the API gets: nothing is checked here, Heimdall's validation is the one that counts. */
export function accessInputOf(values: AccessFormValues): PolicyInput {
  return {
    name: values.name.trim(),
    ...(values.description.trim() ? { description: values.description.trim() } : {}),
    ...(values.collection.trim() ? { collection: values.collection.trim() } : {}),
    effect: values.effect,
    subjects: values.subjects
      .split('\n')
      .map((line) => splitList(line))
      .filter((set) => set.length > 0),
    actions: splitList(values.actions),
    objects: { paths: splitList(values.paths), tags: splitList(values.tags) },
  };
}
