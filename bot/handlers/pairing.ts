// Handlers for the pairing commands and cards.
export {};
