// django-markdownx starts its editor and live preview on the fields present when the page
// loads. A row added later ("Add another FAQ") is a copy of a template row that was started
// too, so it is marked as started without being so: unmark it and run the script again,
// which starts what is unmarked and leaves the rest alone.
document.addEventListener("formset:added", (event) => {
  const loaded = document.querySelector('script[src*="markdownx/js/markdownx"]');
  if (!loaded) return;
  event.target.querySelectorAll("[data-markdownx-init]").forEach((editor) => {
    editor.removeAttribute("data-markdownx-init");
  });
  const again = document.createElement("script");
  again.src = loaded.src;
  document.body.appendChild(again);
});
