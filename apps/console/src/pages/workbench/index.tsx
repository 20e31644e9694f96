/** Placeholder until helper B's page lands: the route and lazy import already exist in app/routes.tsx. */
export default function Page() {
  return (
    <section className="page">
      <h1>Workbench</h1>
      <p>Coming soon.</p>
    </section>
  );
}
