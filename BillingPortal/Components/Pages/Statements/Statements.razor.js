// The statements form posts hidden fields that follow the controls through the live connection. A submit in the same
// instant as a change (a date typed and «Generar» clicked at once, a format picked and submitted in one go) would post
// the old values: the change has not come back from the server yet. So the first submit waits for the server to have
// handled everything sent before it (events are handled, and their renders applied, in order), then posts for real.
export function holdSubmitUntilSynced(form, page) {
  if (!form || form.dataset.syncedSubmit === 'on') return;
  form.dataset.syncedSubmit = 'on';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await page.invokeMethodAsync('SyncAsync');
    } catch {
      // The connection is gone: post what the page shows; the server validates every field anyway.
    }
    // The server may have found the period invalid meanwhile (the button is then disabled): post nothing.
    if (event.submitter && event.submitter.disabled) return;
    form.submit(); // a programmatic submit fires no submit event: no loop
  });
}
