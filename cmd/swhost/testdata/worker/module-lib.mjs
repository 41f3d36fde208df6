export const greeting = (p) => 'module at ' + p;
