// Registers every command and card handler with the router (each module registers on import).
import './router';
import './programmes';
import './onboarding';
import './pairing';
import './ladder';
import './checkins';
import './data';
