/** Filled in by the next commits. */
export default function Page() {
  return (
    <section className="page">
      <h1>domains/domain</h1>
    </section>
  );
}
