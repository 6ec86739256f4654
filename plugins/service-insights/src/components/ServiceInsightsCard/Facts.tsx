import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
  },
  term: {
    color: theme.palette.text.secondary,
  },
  value: {
    margin: 0,
    overflowWrap: 'anywhere',
  },
}));

/** A label/value list; rows whose value is undefined are left out. */
export function Facts(props: { rows: Array<[string, ReactNode | undefined]> }) {
  const classes = useStyles();
  return (
    <dl className={classes.list}>
      {props.rows
        .filter(([, value]) => value !== undefined && value !== null)
        .map(([term, value]) => (
          <FactRow key={term} term={term} value={value} classes={classes} />
        ))}
    </dl>
  );
}

function FactRow(props: {
  term: string;
  value: ReactNode;
  classes: ReturnType<typeof useStyles>;
}) {
  const { term, value, classes } = props;
  return (
    <>
      <Typography component="dt" variant="body2" className={classes.term}>
        {term}
      </Typography>
      <Typography component="dd" variant="body2" className={classes.value}>
        {value}
      </Typography>
    </>
  );
}

/** A titled part of the card. */
export function Section(props: { title: string; children: ReactNode }) {
  return (
    <section aria-label={props.title}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}
