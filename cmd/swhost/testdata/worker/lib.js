function greeting(method, path, name, body) {
  return method + ' ' + path + ' hello ' + name + (body ? ' body=' + body : '');
}
