export { default } from './ExplorerPage.js';
