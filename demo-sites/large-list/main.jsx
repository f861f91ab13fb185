import { createRoot } from 'react-dom/client';
import { loadDemoData } from '../shared/demo-data';

const ROW_COUNT = 10_000;

// One in four rows shows an organization the API knows; the rest are IDs it has never seen.
function rowsFrom(data) {
  const known = [...data.connected, ...data.disconnected, ...data.archived].map((o) => o.id);
  const unknown = [...data.notConnected, ...data.recordGuids];
  return Array.from({ length: ROW_COUNT }, (_, i) => (i % 4 === 0 ? known[(i / 4) % known.length] : unknown[i % unknown.length]));
}

const data = await loadDemoData();
const ids = rowsFrom(data);
createRoot(document.getElementById('root')).render(
  <>
    <h1>All organizations ({ROW_COUNT.toLocaleString('en')})</h1>
    <table aria-label="All organizations">
      <tbody>
        {ids.map((id, i) => (
          <tr key={i}>
            <td>{i + 1}</td>
            <td className="id">{id}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </>,
);
