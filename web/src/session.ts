// Where the signed-in API key lives: sessionStorage only (gone when the tab closes, never in localStorage or a
// cookie, never in a URL), so another site or a later user of the machine cannot pick it up.

const STORAGE_KEY = "live2.apiKey";

export function loadApiKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function saveApiKey(apiKey: string): void {
  sessionStorage.setItem(STORAGE_KEY, apiKey);
}

export function forgetApiKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
