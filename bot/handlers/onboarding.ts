// Handlers for the onboarding commands and cards.
export {};
