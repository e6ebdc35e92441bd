// Handlers for the programmes commands and cards.
export {};
