// Browser entry point: mounts the app into index.html's #root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element to mount MAD Lab into.');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
