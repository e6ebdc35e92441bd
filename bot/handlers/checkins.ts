// Handlers for the checkins commands and cards.
export {};
