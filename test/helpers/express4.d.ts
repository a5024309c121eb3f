// Express 4 is installed under the alias "express4" for the tests; its API matches these types.
declare module 'express4' {
  import express from 'express';
  export default express;
}
