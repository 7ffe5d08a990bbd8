// The renderer's entry: connect to the core (Electron preload or the browser host's WebSocket) and show the app.
import './zodSetup.js';
import '@xterm/xterm/css/xterm.css';
import './styles/app.css';
import './styles/files.css';
import './styles/editor.css';
import './styles/history.css';
import './styles/probe.css';
import './styles/a11y.css';
import './styles/run.css';
import './styles/matrix.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api/getApi.js';
import { App } from './app/App.js';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const { api, connection } = connectApi();
createRoot(root).render(
  <StrictMode>
    <App api={api} {...(connection ? { connection } : {})} />
  </StrictMode>,
);
