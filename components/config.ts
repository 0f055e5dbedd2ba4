/** Where the prepared data and the shipped model live: relative to the page, so any sub-path works. */
export const dataBaseUrl = (): string => new URL('mnist/', document.baseURI).href;
export const modelBaseUrl = (): string => new URL('model/', document.baseURI).href;
