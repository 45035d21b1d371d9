/* Optional enhancement of the large-text switch (pages read fine without it).
   Served by `advisory run`, the switch works without JavaScript (a cookie set by
   /mode/large/); on a plain static host this script keeps the same cookie. */
(function () {
  var root = document.documentElement;
  function apply() {
    var large = /(?:^|;\s*)mode=large(?:;|$)/.test(document.cookie);
    root.classList.toggle('large', large);
  }
  apply();
  document.addEventListener('click', function (event) {
    var a = event.target && event.target.closest ? event.target.closest('.mode-switch a') : null;
    if (!a) return;
    event.preventDefault();
    var large = a.classList.contains('to-large');
    document.cookie = 'mode=' + (large ? 'large' : 'normal') + '; path=/; max-age=31536000; samesite=lax';
    apply();
  });
})();
