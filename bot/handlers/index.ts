// Registers every command and card handler with the router.
import './router';
