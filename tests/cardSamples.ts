// Sample data for every card template: the card test renders each one with it and validates
// the result as Teams would. A new template without a sample fails the test.
export const cardSamples: Record<string, object[]> = {
  notice: [
    { title: 'Saved', text: 'Your profile is saved.', tone: 'success', items: ['one', 'two'], actions: [{ title: 'profile', verb: 'command', args: 'profile' }] },
    { title: 'Oops', text: '', tone: 'error', items: [], actions: [] },
  ],
  welcome: [{ scope: 'personal' }, { scope: 'team' }],
  help: [
    {
      notice: 'I don\'t know "hlep". Did you mean "help"?',
      userCommands: [{ usage: 'help', description: 'Show this list' }],
      adminCommands: [{ usage: 'pair', description: 'Propose pairs' }],
      suggestions: ['help'],
    },
    { notice: '', userCommands: [{ usage: 'join', description: 'Join' }], adminCommands: [], suggestions: [] },
  ],
};
