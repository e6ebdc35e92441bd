// Handlers for the data commands and cards.
export {};
