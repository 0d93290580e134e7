// The review screen's "Tick all" and "Untick all" (claims/templates/admin/claims/claim/from_text.html).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tick]");
  if (!button) return;
  const ticked = button.dataset.tick === "all";
  for (const box of document.querySelectorAll('#review-form input[name="pick"]')) box.checked = ticked;
});
