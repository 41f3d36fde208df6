const config = {};
config.routes.push('/x');
