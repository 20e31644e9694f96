export { default } from './WorkbenchPage.js';
