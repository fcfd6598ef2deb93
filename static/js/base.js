// Det Fælles Designsystem's components (accordions, menus…) need their script initialised once per page.
if (window.DKFDS) {
  window.DKFDS.init();
}
