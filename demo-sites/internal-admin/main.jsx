import { createRoot } from 'react-dom/client';
import { loadDemoData } from '../shared/demo-data';

// An in-house tool on a host no built-in rule covers: badges appear only once the user adds it.
const data = await loadDemoData();
const customers = [data.connected[3], data.disconnected[2], data.archived[1]];
createRoot(document.getElementById('root')).render(
  <main>
    <h1>Customer admin</h1>
    <ul aria-label="Customers">
      {customers.map((c) => (
        <li key={c.id}>
          {c.name}: <code>{c.id}</code>
        </li>
      ))}
    </ul>
  </main>,
);
