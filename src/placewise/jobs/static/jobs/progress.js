// Keeps a job's page up to date: asks for its progress every two seconds, updates the figures,
// tells screen readers when the stage changes, and reloads the page once the job has ended so
// it shows the result. Served from this origin, as the Content Security Policy requires.
const box = document.getElementById("job-progress");
if (box) {
  const url = box.dataset.progressUrl;
  const field = (name) => box.querySelector(`[data-field="${name}"]`);
  let stage = field("stage").textContent;
  const tick = async () => {
    let progress;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      progress = await response.json();
    } catch {
      setTimeout(tick, 5000);  // the server is busy or restarting: try again later
      return;
    }
    if (progress.finished) {
      field("announcement").textContent = `${progress.status_label}. Loading the result.`;
      window.location.reload();
      return;
    }
    field("status_label").textContent = progress.status_label;
    field("stage").textContent = progress.stage;
    field("rows").textContent = progress.rows;
    field("elapsed").textContent = progress.elapsed || "not started yet";
    field("remaining").textContent = progress.remaining || "not known yet";
    const bar = box.querySelector("progress");
    if (bar && progress.rows_total) {
      bar.max = progress.rows_total;
      bar.value = progress.rows_done;
    }
    if (progress.stage !== stage) {
      stage = progress.stage;
      field("announcement").textContent = progress.stage;
    }
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
}
