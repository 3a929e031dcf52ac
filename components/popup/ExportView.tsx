import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { Api } from '../api';
import { useAlive, type SaveFile } from './shared';

export interface ExportViewProps {
  api: Api;
  saveFile: SaveFile;
}

/** View 6: the cache as a CSV download (built by the background, utils/gdap/csv.ts). */
export function ExportView({ api, saveFile }: ExportViewProps) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const alive = useAlive();
  const run = async () => {
    setBusy(true);
    setNote(null);
    try {
      const { filename, csv } = await api.send('exportCsv');
      saveFile(filename, csv, 'text/csv;charset=utf-8');
      if (alive.current) setNote({ ok: true, text: i18n.t('popup2.export.done', [filename]) });
    } catch {
      if (alive.current) setNote({ ok: false, text: i18n.t('popup2.export.failed') });
    } finally {
      if (alive.current) setBusy(false);
    }
  };
  return (
    <div class="export">
      <h2>{i18n.t('popup2.export.title')}</h2>
      <p class="muted small">{i18n.t('popup2.export.intro')}</p>
      <div class="row">
        <button type="button" onClick={() => void run()} disabled={busy}>
          {i18n.t('popup2.export.button')}
        </button>
      </div>
      <p role="status" class={note && !note.ok ? 'error' : 'muted'}>
        {note?.text ?? ''}
      </p>
    </div>
  );
}
