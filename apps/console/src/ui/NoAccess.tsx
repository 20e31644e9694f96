/** A field the signed-in user may not see: quiet, in the field's place, never a broken page. */
export function NoAccess({ what }: { what?: string }) {
  return (
    <span className="no-access" title={what ? `You may not see ${what}` : 'You may not see this'}>
      no access
    </span>
  );
}
