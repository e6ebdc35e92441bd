// Sample data for every card template: the card test renders each one with it and validates
// the result as Teams would. A new template without a sample fails the test.
export const cardSamples: Record<string, object[]> = {
  ladder: [
    {
      programmes: [{ name: 'Web 2.0: 1 of 8 tutorials done (13%)', levels: [{ title: '1 · Platform basics (you want this)', progress: '1/4 done', complete: false }],
        next: 'Your profile (30 min)', nextGoal: 'A complete profile', nextActivities: ['Add a photo', 'Follow five colleagues'] }],
      tabUrl: 'https://teams.microsoft.com/l/entity/00000000-0000-4000-8000-000000000001/ladder',
    },
    { programmes: [{ name: 'Done', levels: [], next: '', nextGoal: '', nextActivities: [] }], tabUrl: '' },
    { programmes: [], tabUrl: '' },
  ],
  proposal: [
    {
      title: 'Pairing proposal: Web 2.0', summary: '2 pairs, average score 71, 1 unmatched', status: '', open: true, programmeId: 'abc123def', proposalId: 'p-1',
      pairs: [{ label: 'Mia → Dirk', score: 'score 80', why: 'covers levels 1, 2 · shares German' }, { label: 'Tom → Eva', score: 'score 62', why: '' }],
      more: '', unmatched: ['Olaf (mentee): no mentor in another department covers level 4'], moreUnmatched: '',
      choices: [{ title: 'Mia → Dirk', value: 'pair-1' }, { title: 'Tom → Eva', value: 'pair-2' }],
    },
    { title: 'Pairing proposal: Empty', summary: '0 pairs', status: 'Approved: 2 pairs', open: false, programmeId: 'abc123def', proposalId: 'p-2', pairs: [], more: '', unmatched: [], moreUnmatched: '', choices: [] },
  ],
  introduction: [
    {
      title: 'Meet your mentor Mia', intro: 'You are paired in Web 2.0.', department: 'IT', seniority: 'Apprentice', topicTitle: 'Can teach', topics: '1 Platform basics',
      languages: 'EN, DE', objectives: 'Learn the digital workplace', tutorialTitle: 'Your profile (30 min)', tutorialGoal: 'A complete profile',
      chatUrl: 'https://teams.microsoft.com/l/chat/0/0?users=mia%40contoso.com', chatTitle: 'Chat with Mia', noLink: 'Search Mia in Teams to start a chat.',
      scheduleUrl: 'https://teams.microsoft.com/l/entity/00000000-0000-4000-8000-000000000001/ladder?context=%7B%22subEntityId%22%3A%22schedule%3Ap%3Am%22%7D', scheduleNote: 'You book your sessions.',
    },
    { title: 'Meet your mentee Dirk', intro: 'x', department: 'Sales', seniority: 'Director', topicTitle: 'Wants to learn', topics: '', languages: 'EN', objectives: '', tutorialTitle: '', tutorialGoal: '', chatUrl: '', chatTitle: 'Chat', noLink: 'Search Dirk in Teams.', scheduleUrl: '', scheduleNote: '' },
  ],
  'my-pair': [
    { pairs: [{ headline: 'Web 2.0: your mentor Mia', department: 'IT', seniority: 'Apprentice', since: '2026-12-01', status: 'active', chatUrl: 'https://teams.microsoft.com/l/chat/0/0?users=mia%40contoso.com', chatTitle: 'Chat with Mia', scheduleUrl: 'https://rm.example/tab/index.html?view=schedule&programme=p&partner=m' }] },
    { pairs: [{ headline: 'Web 2.0: your mentee Dirk', department: 'Sales', seniority: 'Director', since: '2026-12-01', status: 'paused', chatUrl: '', chatTitle: 'Chat with Dirk', scheduleUrl: '' }] },
    { pairs: [] },
  ],
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
  'programme-form': [
    {
      formId: 'abc123def', name: '', objectives: '', startDate: '2026-12-01', endDate: '2027-05-31', levels: '1,2', cadenceWeeks: '1', maxMenteesPerMentor: 2,
      timeZone: 'Europe/Berlin', levelChoices: [{ title: '1 Platform', value: '1' }, { title: '2 Social', value: '2' }],
      weekdayChoices: [{ title: 'Monday', value: 'mon' }], timeZoneChoices: [{ title: 'Europe/Berlin', value: 'Europe/Berlin' }], sessionMinutes: 60,
    },
  ],
  'programme-list': [
    { programmes: [{ name: 'Web 2.0', status: 'open', dates: '2026-12-01 to 2027-05-31', levels: '1, 2', enrolment: 'Open', people: '3 mentors, 3 mentees, 0 pairs' }] },
    { programmes: [] },
  ],
  'programme-card': [
    { title: 'Reverse mentoring: Web 2.0', objectives: 'Learn', dates: 'x to y', levels: '1, 2', nominated: false, programmeId: 'abc123def' },
    { title: 'Reverse mentoring: Leaders', objectives: 'Learn', dates: 'x to y', levels: '5', nominated: true, programmeId: 'abc123deg' },
  ],
  'profile-form': [
    {
      title: 'Join Web 2.0', intro: 'A few questions', programmeChoices: [{ title: 'A', value: 'aaaa1' }, { title: 'B', value: 'bbbb2' }], fixedProgrammeId: '',
      roleFixed: false, roleNote: '', defaults: { role: '', department: '', seniority: '', languages: '', timeZone: '', sessionsPerMonth: '2', preferredDays: '', wantLevels: '' },
      seniorityChoices: [{ title: 'Staff', value: 'staff' }], languageChoices: [{ title: 'EN', value: 'en' }], timeZoneChoices: [{ title: 'UTC', value: 'UTC' }],
      dayChoices: [{ title: 'Monday', value: 'mon' }], skillRows: [1, 2, 3, 4, 5].map((l) => ({ id: `skill${l}`, label: `Level ${l}`, value: '' })),
      skillChoices: [0, 1, 2, 3].map((s) => ({ title: String(s), value: String(s) })), showWant: true, wantChoices: [{ title: '1', value: '1' }], formFor: 'user-1', version: '',
      directoryNote: 'The company directory cannot be reached right now.', directoryIntro: 'From Entra ID:', directoryFacts: [], directoryConsent: 'Also kept from Entra ID.',
      departmentFromDirectory: false, timeZoneFromDirectory: false,
    },
    {
      title: 'Your profile in X', intro: 'A few questions', programmeChoices: [{ title: 'A', value: 'aaaa1' }], fixedProgrammeId: 'aaaa1',
      roleFixed: true, roleNote: 'You were nominated as Mentor.', defaults: { role: 'mentor', department: 'IT', seniority: 'staff', languages: 'en,de', timeZone: 'UTC', sessionsPerMonth: '2', preferredDays: 'mon', wantLevels: '' },
      seniorityChoices: [{ title: 'Staff', value: 'staff' }], languageChoices: [{ title: 'EN', value: 'en' }], timeZoneChoices: [{ title: 'UTC', value: 'UTC' }],
      dayChoices: [{ title: 'Monday', value: 'mon' }], skillRows: [1, 2, 3, 4, 5].map((l) => ({ id: `skill${l}`, label: `Level ${l}`, value: '2' })),
      skillChoices: [0, 1, 2, 3].map((s) => ({ title: String(s), value: String(s) })), showWant: false, wantChoices: [], formFor: 'user-1', version: '',
      directoryNote: '', directoryIntro: 'From Entra ID:', directoryFacts: [{ title: 'Department', value: 'Vertrieb' }, { title: 'Job title', value: 'Sales lead' }],
      directoryConsent: 'Also kept from Entra ID.', departmentFromDirectory: true, timeZoneFromDirectory: true,
    },
  ],
  profile: [
    {
      headline: 'Welcome!', note: 'An admin will pair you.', directoryNote: 'The directory could not be reached.',
      profiles: [{ programmeId: 'aaaa1', programmeName: 'Web 2.0', facts: [{ title: 'Role', value: 'Mentor' }, { title: 'Department', value: 'IT' }], fromDirectory: true }],
    },
    { headline: '', note: '', directoryNote: '', profiles: [] },
  ],
  'knowledge-map': [
    {
      title: 'Knowledge map: Web 2.0', intro: 'People per department', columns: [{ width: 2 }, { width: 1 }, { width: 1 }], header: ['Department', 'L1', 'L2'],
      rows: [{ cells: ['IT (3)', '2 · 1 · 0 · 0', '1 · 1 · 1 · 0'] }, { cells: ['Sales (1)', '< 3', '< 3'] }], scarce: ['Level 2: 3 mentees want it, 0 mentors can teach it'], supplyHidden: '',
    },
    { title: 'Knowledge map: small', intro: 'x', columns: [{ width: 2 }], header: ['Department'], rows: [], scarce: [], supplyHidden: 'Too few people to show where mentors are scarce.' },
    { title: 'Knowledge map: empty', intro: 'x', columns: [{ width: 2 }], header: ['Department'], rows: [], scarce: [], supplyHidden: '' },
  ],
  admins: [{ note: 'Bob is now an admin.', admins: [{ name: 'Alice', detail: 'from BOT_ADMINS' }] }],
  download: [
    { title: 'Your data', text: 'Everything stored about you:', items: ['your profile in 1 programme', '2 check-in records'], note: 'It opens in the tab, signed in as you.', button: 'Download my data', url: 'https://teams.microsoft.com/l/entity/0a1b/ladder?context=%7B%22subEntityId%22%3A%22my-data%22%7D' },
    { title: 'Export: Web 2.0', text: '3 pairs', items: [], note: 'It opens in the admin tab.', button: 'Download CSV', url: 'http://localhost:3978/tab/index.html?view=admin&programme=p1' },
  ],
  'forget-confirm': [
    {
      title: 'Erase everything about you?', text: 'I will erase:', items: ['your profiles', 'your answers'], pairs: 'Your pairs end.', kept: 'Anonymous counts stay.',
      confirm: 'Erase everything', cancel: 'Cancel', formFor: 'user-1', issuedAt: '2026-11-23T10:00:00.000Z',
    },
  ],
  checkin: [
    {
      title: 'Check-in 3: Web 2.0', intro: 'How is it going with Mia?', closes: 'Open until 2027-01-18.', learnedLabel: 'What did you learn?',
      tutorialChoices: [{ title: 'L1 · Set up your profile', value: 'l1-profile' }, { title: 'L2 · Tour communities', value: 'l2-communities' }],
      maxLearned: 2000, maxBlockers: 1000, today: '2027-01-11', programmeId: 'abc123def', round: 3, pairId: 'u1|u2', forUser: 'u2', pauseCommand: 'pause Web 2.0',
      metDefault: 'yes', calendarHint: 'From your calendar: the session is on Tue 12 Jan 2027, 10:00 (Europe/Berlin).', calendarNext: 'Tue 19 Jan 2027, 10:00 (Europe/Berlin)',
    },
    { title: 'Check-in 1: X', intro: 'x', closes: '', learnedLabel: 'What did you learn about the business?', tutorialChoices: [], maxLearned: 2000, maxBlockers: 1000, today: '2027-01-11', programmeId: 'abc123def', round: 1, pairId: 'p', forUser: 'u', pauseCommand: 'pause', metDefault: '', calendarHint: '', calendarNext: '' },
  ],
  'checkin-summary': [
    { title: 'Check-in 3 saved', facts: [{ title: 'Met', value: 'Yes' }, { title: 'Rating', value: '4 / 5' }], learned: 'How our sales pipeline works', blockers: 'No time in March' },
    { title: 'Check-in 4 saved', facts: [{ title: 'Met', value: 'No' }], learned: '', blockers: '' },
  ],
  'session-news': [
    {
      title: 'Bernd booked your mentoring sessions', text: 'Web 2.0: a Teams meeting every week until the programme ends.',
      facts: [{ title: 'First session', value: 'Tue 12 Jan 2027, 10:00 (Europe/London)' }, { title: 'Length', value: '60 minutes' }],
      note: 'The invitation is in your Outlook calendar: accept or decline it there.', joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0',
      scheduleUrl: 'https://rm.example/tab/index.html?view=schedule&programme=p&partner=m',
    },
    { title: 'Bernd cancelled your mentoring sessions', text: 'Web 2.0: the series is no longer in the calendar.', facts: [], note: '', joinUrl: '', scheduleUrl: '' },
  ],
  reminder: [{ title: 'Reminder: your check-in for Web 2.0', text: 'Check-in 3 is open until 2027-01-18.' }],
  feedback: [
    {
      title: 'Feedback: Web 2.0', intro: 'The programme is closing.', ratingsTitle: 'Your digital skills now, per level',
      ratings: [1, 2].map((l) => ({ id: `level${l}`, label: `Level ${l}`, hint: '', choices: [0, 1, 2, 3].map((v) => ({ title: String(v), value: String(v) })) })),
      recommendChoices: Array.from({ length: 11 }, (_, i) => ({ title: String(i), value: String(i) })), end: true, maxChange: 2000,
      verb: 'feedback.submit', phase: 'end', programmeId: 'abc123def', forUser: 'u1',
    },
    {
      title: 'Mid-point pulse: Web 2.0', intro: 'Halfway through.', ratingsTitle: 'Your understanding of the business now',
      ratings: ['strategy', 'unwritten-rules'].map((id) => ({ id: `business-${id}`, label: id, hint: 'Where the company wants to go, and why.', choices: [0, 1, 2, 3].map((v) => ({ title: String(v), value: String(v) })) })),
      recommendChoices: Array.from({ length: 11 }, (_, i) => ({ title: String(i), value: String(i) })), end: false, maxChange: 2000,
      verb: 'pulse.submit', phase: 'mid', programmeId: 'abc123def', forUser: 'u1',
    },
  ],
  'business-start': [
    {
      title: 'Before you start: Web 2.0', programmeId: 'abc123def', forUser: 'u1',
      ratings: ['strategy', 'decisions', 'customers'].map((id) => ({ id: `business-${id}`, label: id, hint: 'Who decides what.', choices: [0, 1, 2, 3].map((v) => ({ title: String(v), value: String(v) })) })),
    },
  ],
  'my-progress': [
    {
      programmes: [
        { name: 'Web 2.0 · Mentee', heading: 'Your self-assessment per level', rows: [{ title: 'Level 1', value: '1 - basic → 2 - confident' }], activity: '3 sessions held · 2 tutorials covered', note: '' },
        { name: 'Leaders · Mentor', heading: 'Your understanding of the business', rows: [], activity: '0 sessions held', note: 'You have not rated your start yet.' },
      ],
      tabUrl: 'https://teams.microsoft.com/l/entity/00000000-0000-4000-8000-000000000001/ladder',
    },
    { programmes: [], tabUrl: '' },
  ],
  'feedback-summary': [
    { title: 'Thank you!', facts: [{ title: 'Value', value: '5 / 5' }, { title: 'Would recommend', value: 'Yes' }], change: 'More time for level 3' },
    { title: 'Thank you!', facts: [], change: '' },
  ],
  'pause-form': [{ title: 'Pause in Web 2.0', min: '2027-01-05', max: '2027-06-30', suggested: '2027-01-18', programmeId: 'p1', formFor: 'user-1' }],
  status: [
    {
      programmes: [
        {
          title: 'Health: Web 2.0', summary: 'running · 10 active pairs · 1 at risk · response rate 80%',
          rounds: [{ label: 'Round 1 (2027-01-04)', value: '16 of 20 answered (80%) · 20 sent · closed' }], waiting: '2 cards waiting to be sent',
          atRiskCount: 1, atRisk: 'Mia → Sam', pausedCount: 1, paused: 'Mo → Sue until 2027-02-01', unreachable: 'Max (Mentor)', feedback: '3 of 20 answered',
        },
        { title: 'Health: Empty', summary: 'running', rounds: [], waiting: '', atRiskCount: 0, atRisk: 'No pair is at risk.', pausedCount: 0, paused: '', unreachable: 'Everyone can be reached.', feedback: '' },
      ],
    },
  ],
};
