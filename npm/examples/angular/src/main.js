console.log('news app, release 1');
