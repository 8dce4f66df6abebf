// The theme in effect, remembered in a cookie the server reads when it renders the next page (PortalSession), so the
// first paint is already in that theme instead of flashing light. Only "dark" or "light"; never anything personal.
export function rememberTheme(dark) {
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = `bp.theme=${dark ? 'dark' : 'light'}; path=/; max-age=31536000; samesite=lax${secure}`;
}
