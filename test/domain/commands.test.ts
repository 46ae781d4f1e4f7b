import { expect } from 'chai';
import { parseCommand } from '../../src/domain/commands.js';

describe('domain: commands', () => {
  const cases: [string, string][] = [
    ['помощь', 'help'],
    ['Справка', 'help'],
    ['?', 'help'],
    [' ?? ', 'help'],
    ['темы', 'topics'],
    ['ТЕМЫ', 'topics'],
    ['линии', 'lines'],
    ['фразы', 'phrases'],
    ['назад', 'back'],
    ['заново', 'restart'],
    ['сначала', 'restart'],
    ['отмена', 'cancel'],
    ['стоп', 'cancel'],
    ['выход', 'cancel'],
  ];
  for (const [text, command] of cases) it(`«${text}» is ${command}`, () => expect(parseCommand(text)).to.equal(command));

  it('ignores case, a leading slash, surrounding spaces and punctuation', () => {
    for (const text of ['/помощь', ' /Помощь ', 'Назад!', '«назад»', '  отмена.  ', '/СТОП', 'заново...', '(темы)'])
      expect(parseCommand(text), text).to.not.equal(undefined);
    expect(parseCommand('/Назад!')).to.equal('back');
  });

  it('treats ё and е alike', () => {
    expect(parseCommand('отмёна')).to.equal('cancel');
    expect(parseCommand('ВЫХОД')).to.equal('cancel');
  });

  it('reads a Latin look-alike letter as Cyrillic («cправка» typed with a Latin c)', () => {
    expect(parseCommand('cправка')).to.equal('help');
    expect(parseCommand('нaзад')).to.equal('back');
  });

  it('counts only a whole message: a question that contains a command word is a question', () => {
    for (const text of ['клиент просит отмену услуги', 'назад в меню пожалуйста', 'какие темы есть?', 'помощь клиенту с роумингом', 'линии сохранения номер', 'стоп-лист', '2назад'])
      expect(parseCommand(text), text).to.equal(undefined);
  });

  it('returns undefined for empty or punctuation-only text other than «?»', () => {
    for (const text of ['', '   ', '...', '/']) expect(parseCommand(text), JSON.stringify(text)).to.equal(undefined);
  });
});
