import { StrictMode, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { companyRows, loadDemoData } from '../shared/demo-data';

const PORTAL = '/contacts/4411';
const PAGE_SIZE = 20;
const FEED_BATCH = 15;
const FEED_MAX = 60;

// A tiny pushState router, like the CRM's own: views change without a page load.
function subscribe(callback) {
  window.addEventListener('popstate', callback);
  return () => window.removeEventListener('popstate', callback);
}
function navigate(path) {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}
function usePath() {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

function Link({ to, children, current }) {
  return (
    <a
      href={to}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

function CompaniesView({ rows }) {
  const [descending, setDescending] = useState(false);
  const [page, setPage] = useState(0);
  const sorted = useMemo(() => {
    const copy = [...rows].sort((a, b) => a.name.localeCompare(b.name));
    return descending ? copy.reverse() : copy;
  }, [rows, descending]);
  const pages = Math.ceil(sorted.length / PAGE_SIZE);
  const visible = sorted.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  return (
    <>
      <h1>Companies</h1>
      <table aria-label="Companies">
        <thead>
          <tr>
            <th aria-sort={descending ? 'descending' : 'ascending'}>
              <button onClick={() => setDescending((d) => !d)}>Company name {descending ? '▼' : '▲'}</button>
            </th>
            <th>MyCreditApp org ID</th>
            <th>Company owner</th>
            <th>City</th>
          </tr>
        </thead>
        <tbody>
          {visible.map((row) => (
            <tr key={row.key} data-key={row.key}>
              <td>
                <Link to={`${PORTAL}/company/${row.orgId}`}>{row.name}</Link>
              </td>
              <td className="org-id">{row.orgId}</td>
              <td>{row.owner}</td>
              <td>{row.city}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <button className="hs" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
          Previous page
        </button>
        <span>
          Page {page + 1} of {pages}
        </span>
        <button className="hs" disabled={page >= pages - 1} onClick={() => setPage((p) => p + 1)}>
          Next page
        </button>
      </div>
      <ActivityFeed rows={rows} />
    </>
  );
}

/** Loads more entries when its end scrolls into view, like the CRM's timeline. */
function ActivityFeed({ rows }) {
  const [count, setCount] = useState(FEED_BATCH);
  const sentinel = useRef(null);
  useEffect(() => {
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setCount((c) => Math.min(c + FEED_BATCH, FEED_MAX));
    });
    observer.observe(sentinel.current);
    return () => observer.disconnect();
  }, []);
  const items = Array.from({ length: count }, (_, i) => rows[(i * 7) % rows.length]);
  return (
    <section aria-label="Recent activity">
      <h2>Recent activity</h2>
      <ul className="feed">
        {items.map((row, i) => (
          <li key={i} data-feed-item={i}>
            Credit review requested for organization <span className="org-id">{row.orgId}</span> ({row.name})
          </li>
        ))}
      </ul>
      <div ref={sentinel} aria-hidden="true" style={{ height: 1 }} />
      <p>{count < FEED_MAX ? 'Loading more…' : 'No more activity'}</p>
    </section>
  );
}

function CompanyView({ rows, orgId }) {
  const row = rows.find((r) => r.orgId === orgId);
  if (!row) return <h1>Company not found</h1>;
  return (
    <div className="record">
      <h1>{row.name}</h1>
      <dl>
        <dt>MyCreditApp org ID</dt>
        <dd data-field="mycreditapp_org_id">{row.orgId}</dd>
        <dt>Company owner</dt>
        <dd>{row.owner}</dd>
        <dt>City</dt>
        <dd>{row.city}</dd>
      </dl>
      <p>
        <Link to={`${PORTAL}/objects/0-2/views/all/list`}>Back to companies</Link>
      </p>
    </div>
  );
}

function NotesView({ rows }) {
  const [draft, setDraft] = useState(`Follow up with ${rows[0].name}: ${rows[0].orgId}`);
  const [notes, setNotes] = useState([`Kick-off call with ${rows[1].name} (${rows[1].orgId}).`]);
  return (
    <>
      <h1>Notes</h1>
      <div className="editor">
        <label htmlFor="note-draft">New note</label>
        <textarea id="note-draft" value={draft} onChange={(e) => setDraft(e.target.value)} />
        <div id="rich-label">Rich text note</div>
        <div contentEditable suppressContentEditableWarning role="textbox" aria-multiline="true" aria-labelledby="rich-label">
          Meeting notes for <b>{rows[2].name}</b>: org {rows[2].orgId}, renewal due.
        </div>
        <button className="hs" onClick={() => setNotes((n) => [...n, draft])}>
          Save note
        </button>
      </div>
      <h2>Saved notes</h2>
      <ul className="notes" aria-label="Saved notes">
        {notes.map((note, i) => (
          <li key={i}>{note}</li>
        ))}
      </ul>
    </>
  );
}

function App({ data }) {
  const rows = useMemo(() => companyRows(data), [data]);
  const path = usePath();
  const company = /\/company\/([0-9a-f-]{36})$/.exec(path);
  const view = company ? 'company' : path.endsWith('/notes') ? 'notes' : 'companies';
  return (
    <>
      <header>
        <strong>HubSpot</strong>
        <nav aria-label="CRM">
          <Link to={`${PORTAL}/objects/0-2/views/all/list`} current={view === 'companies'}>
            Companies
          </Link>
          <Link to={`${PORTAL}/notes`} current={view === 'notes'}>
            Notes
          </Link>
        </nav>
      </header>
      <main>
        {view === 'companies' && <CompaniesView rows={rows} />}
        {view === 'company' && <CompanyView rows={rows} orgId={company[1]} />}
        {view === 'notes' && <NotesView rows={rows} />}
      </main>
    </>
  );
}

const data = await loadDemoData();
createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App data={data} />
  </StrictMode>,
);
