// The tab's API under /api/ (identity from a verified Teams SSO token only).
import type { ApiRegistrar } from '../server';

export const registerApi: ApiRegistrar = () => {
  // Routes are added by the tab feature.
};
