/**
 * Adaptive Cards host config close to Microsoft Teams' light theme: Segoe UI / system fonts,
 * Teams purple accent (#6264A7 / #5B5FC7), Teams spacing and font sizes, and the container styles
 * (emphasis, good, attention, warning, accent) as the light theme tints them.
 */

const text = '#242424';
const subtle = '#616161';

/** The same text colours on every container style, as Teams does (only the background changes). */
const foregroundColors = {
  default: { default: text, subtle },
  dark: { default: text, subtle },
  light: { default: '#FFFFFF', subtle: '#F5F5F5' },
  accent: { default: '#5B5FC7', subtle: '#6264A7' },
  good: { default: '#0E700E', subtle: '#237B4B' },
  warning: { default: '#835C00', subtle: '#8A6100' },
  attention: { default: '#C4314B', subtle: '#B10E1C' },
};

const style = (backgroundColor, borderColor) => ({ backgroundColor, borderColor, foregroundColors });

export const teamsLightHostConfig = {
  hostCapabilities: {},
  choiceSetInputValueSeparator: ',',
  supportsInteractivity: true,
  fontFamily: "'Segoe UI', 'Segoe UI Web (West European)', system-ui, -apple-system, BlinkMacSystemFont, Roboto, 'Helvetica Neue', 'Noto Sans', 'DejaVu Sans', sans-serif, 'Segoe UI Emoji', 'Apple Color Emoji', 'Noto Color Emoji'",
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  lineHeights: { small: 16, default: 20, medium: 20, large: 24, extraLarge: 32 },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: {
    default: style('#FFFFFF', '#E0E0E0'),
    emphasis: style('#F5F5F5', '#E0E0E0'),
    accent: style('#E8EBFA', '#C5CBFA'),
    good: style('#F1FAF1', '#9FD89F'),
    attention: style('#FDF3F4', '#EEACB2'),
    warning: style('#FBF6D9', '#F2E384'),
  },
  inputs: {
    label: {
      requiredInputs: { weight: 'Bolder', suffix: ' *', suffixColor: 'Attention' },
      optionalInputs: { weight: 'Default', color: 'Default' },
    },
    errorMessage: { size: 'Default', color: 'Attention' },
  },
  actions: {
    maxActions: 6,
    spacing: 'Default',
    buttonSpacing: 8,
    showCard: { actionMode: 'Inline', inlineTopMargin: 12, style: 'emphasis' },
    preExpandSingleShowCardAction: false,
    actionsOrientation: 'Horizontal',
    actionAlignment: 'Left',
    iconPlacement: 'LeftOfTitle',
    allowTitleToWrap: true,
    iconSize: 16,
  },
  adaptiveCard: { allowCustomStyle: true },
  imageSet: { imageSize: 'Medium', maxImageHeight: 100 },
  factSet: {
    title: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Bolder', wrap: true, maxWidth: 150 },
    value: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Default', wrap: true },
    spacing: 12,
  },
  textBlock: { headingLevel: 2 },
};
