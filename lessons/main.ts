import '../components/index';
import { COURSE } from './index';

const app = document.querySelector('lab-app');
if (app) app.course = COURSE;
